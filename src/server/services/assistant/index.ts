/**
 * Claude in the IDE (issue 9): conversations per project (conversations.ts), turns started (start.ts), run on the
 * server (turn.ts) and followed over server-sent events, their file changes staged and saved as one write (or
 * kept for review, review.ts), undo (undo.ts), cancel and recovery (control.ts), and each turn recorded as one
 * claude_interactions row with its tokens and cost. This module is the public entry point: the rest of the app
 * imports the assistant's services from here.
 */
export { assistantModels, conversationMessages, listConversations, turnDiff } from "./conversations";
export { cancelTurn, failInterruptedTurns, STALE_TURN_MS } from "./control";
export { history, HISTORY_LIMITS } from "./history";
export { createProjectFromPrompt, sendMessage, type TurnKind } from "./start";
export { getTurn, type Turn } from "./turns";
export { reviewTurn } from "./review";
export { undoTurn } from "./undo";
export { runningTurn, runningTurns, stopRunningTurns } from "./registry";
