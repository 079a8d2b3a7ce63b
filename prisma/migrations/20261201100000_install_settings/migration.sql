-- Facts about the install that every app instance must agree on. `encryption_key_check` holds an HMAC of a fixed
-- label under ENCRYPTION_KEY (never the key): an instance started with another key refuses to run instead of
-- writing secrets that the other instances cannot read.
CREATE TABLE install_settings (
  name       VARCHAR(100) PRIMARY KEY,
  value      TEXT         NOT NULL,
  created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
