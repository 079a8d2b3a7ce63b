/** Inputs of the assistant (assistant.*). Client-safe. */
import { z } from "zod";
import { ZFilePath } from "~/lib/paths";

export const ASSISTANT_MESSAGE_MAX_CHARS = 20_000;

export const ZAssistantProjectInput = z.object({ projectId: z.uuid() });

export const ZAssistantMessagesInput = z.object({ conversationId: z.uuid() });

export const ZAssistantSendInput = z.object({
  conversationId: z.uuid().optional(),
  message: z
    .string()
    .refine((value) => value.trim() !== "", "Type a message for Claude.")
    .refine(
      (value) => value.length <= ASSISTANT_MESSAGE_MAX_CHARS,
      `Use a message of at most ${ASSISTANT_MESSAGE_MAX_CHARS.toLocaleString("en")} characters.`,
    ),
  model: z.string().trim().min(1).max(100).optional(),
});
export type TAssistantSendInput = z.infer<typeof ZAssistantSendInput>;

export const ZAssistantTurnInput = z.object({ interactionId: z.uuid() });

export const ZAssistantTurnDiffInput = z.object({ interactionId: z.uuid(), path: ZFilePath });

export const ZAssistantReviewInput = z.object({
  interactionId: z.uuid(),
  decision: z.enum(["accept", "reject"]),
  /** None: every pending change of the turn. */
  paths: z.array(ZFilePath).min(1).max(10_000).optional(),
});

export const ZAssistantUndoInput = z.object({ interactionId: z.uuid(), overwrite: z.boolean().optional() });
