import type { RouterOutputs } from "~/server/api/root";

/** The assistant's payloads as the router answers them (one declaration: the router's). */
export type Turn = RouterOutputs["assistant"]["messages"]["turns"][number];
export type Messages = RouterOutputs["assistant"]["messages"];
export type ConversationSummary = RouterOutputs["assistant"]["conversations"]["conversations"][number];
export type Budget = RouterOutputs["assistant"]["conversations"]["budget"];
export type ToolCall = Turn["toolCalls"][number];
