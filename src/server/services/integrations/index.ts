export {
  createIntegration,
  deleteIntegration,
  listIntegrations,
  updateIntegration,
  webhookPath,
  type IntegrationView,
} from "./manage";
export { testIntegration } from "./test-endpoint";
export { receiveWebhook, WebhookRefusal } from "./webhook";
export { signWebhook, verifyWebhookSignature } from "./signature";
