/** Inputs of the assistant (assistant.*). Client-safe. */
import { z } from "zod";
import { ZFilePath } from "~/lib/paths";
import { ZProjectDescription, ZProjectName } from "~/lib/schemas/project";

export const ASSISTANT_MESSAGE_MAX_CHARS = 20_000;

export const ZAssistantProjectInput = z.object({ projectId: z.uuid() });

export const ZAssistantMessagesInput = z.object({ conversationId: z.uuid() });

/** A message for Claude: not blank, at most ASSISTANT_MESSAGE_MAX_CHARS characters (`what` names it in errors). */
const message = (what: string, empty: string) =>
  z
    .string()
    .refine((value) => value.trim() !== "", empty)
    .refine(
      (value) => value.length <= ASSISTANT_MESSAGE_MAX_CHARS,
      `Use a ${what} of at most ${ASSISTANT_MESSAGE_MAX_CHARS.toLocaleString("en")} characters.`,
    );

const ZModel = z.string().trim().min(1).max(100).optional();

export const ZAssistantSendInput = z.object({
  conversationId: z.uuid().optional(),
  message: message("message", "Type a message for Claude."),
  model: ZModel,
});
export type TAssistantSendInput = z.infer<typeof ZAssistantSendInput>;

/** A new project whose first files Claude writes from the prompt (assistant.createProject). */
export const ZAssistantCreateProjectInput = z.object({
  name: ZProjectName,
  description: ZProjectDescription,
  prompt: message("description of the app", "Describe the app you want Claude to start."),
  model: ZModel,
});
export type TAssistantCreateProjectInput = z.input<typeof ZAssistantCreateProjectInput>;

export const ZAssistantTurnInput = z.object({ interactionId: z.uuid() });

export const ZAssistantTurnDiffInput = z.object({ interactionId: z.uuid(), path: ZFilePath });

export const ZAssistantReviewInput = z.object({
  interactionId: z.uuid(),
  decision: z.enum(["accept", "reject"]),
  /** None: every pending change of the turn. */
  paths: z.array(ZFilePath).min(1).max(10_000).optional(),
});

export const ZAssistantUndoInput = z.object({ interactionId: z.uuid(), overwrite: z.boolean().optional() });
