-- Inbound webhooks (src/app/api/webhooks/[integrationId]/route.ts). A signed delivery is accepted once: the
-- SHA-256 of its signature is kept for the replay window (timestamps older than 5 minutes are refused anyway), so
-- the same request sent again inside the window is a CONFLICT. Rows older than the window are pruned on each
-- delivery to the integration.
CREATE TABLE webhook_deliveries (
  integration_id UUID        NOT NULL REFERENCES project_integrations(id) ON DELETE CASCADE,
  signature_hash CHAR(64)    NOT NULL,
  received_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, signature_hash)
);

CREATE INDEX idx_webhook_deliveries_received ON webhook_deliveries (integration_id, received_at);

-- Bounds the service and the UI share (src/lib/schemas/integration.ts): a name shown in lists, a configuration
-- object, counters that never go negative, and secrets stored only as envelopes (src/server/crypto.ts). The type
-- stays free text as in the reference (the app offers its known types).
ALTER TABLE project_integrations
  ADD CONSTRAINT project_integrations_service_name_check CHECK (char_length(btrim(service_name)) BETWEEN 1 AND 100),
  ADD CONSTRAINT project_integrations_configuration_check CHECK (configuration IS NULL OR jsonb_typeof(configuration) = 'object'),
  ADD CONSTRAINT project_integrations_counts_check CHECK (coalesce(request_count, 0) >= 0 AND coalesce(error_count, 0) >= 0),
  ADD CONSTRAINT project_integrations_secrets_encrypted CHECK (
    (api_key_encrypted IS NULL OR api_key_encrypted ~ '^v[0-9]{1,5}:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$') AND
    (webhook_secret_encrypted IS NULL OR webhook_secret_encrypted ~ '^v[0-9]{1,5}:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$'));
