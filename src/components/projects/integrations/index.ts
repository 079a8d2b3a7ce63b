/** The integrations UI of a project; the list is what other pages (the project dashboard) embed. */
export { IntegrationList } from "./integration-list";
export { IntegrationDialog, type Integration } from "./integration-dialog";
export { WebhookInstructions } from "./webhook-instructions";
