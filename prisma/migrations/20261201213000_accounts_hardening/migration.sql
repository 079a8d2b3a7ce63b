-- Accounts hardening: device tokens for sign-in (OWASP "device cookies"), password-reset rate limits, and no
-- readable link in the mail outbox.

-- A sign-in attempt made with a valid device token carries the token's id: its failures count against that device
-- only, never against the account or the address, so an attacker's failures cannot slow the owner's browser.
ALTER TABLE auth_attempts ADD COLUMN device_id VARCHAR(32);
CREATE INDEX idx_auth_attempts_device ON auth_attempts(device_id, created_at) WHERE device_id IS NOT NULL;

-- Password-reset requests are rate-limited per address and per requested e-mail address.
ALTER TABLE auth_attempts DROP CONSTRAINT auth_attempts_kind_check;
ALTER TABLE auth_attempts ADD CONSTRAINT auth_attempts_kind_check CHECK (kind IN ('signin', 'signup', 'reset'));

-- Mail bodies are stored encrypted with the app's key (AES-256-GCM envelope, src/server/crypto.ts), so a copy of
-- the database yields no working link. Mails from before held their links in clear: those links are revoked and
-- blanked out of the old bodies, which are the only ones allowed to stay unencrypted (NOT VALID).
UPDATE auth_tokens SET used_at = now() WHERE used_at IS NULL;
UPDATE mail_outbox
   SET text_body = regexp_replace(text_body, 'token=[^\s"<&]+', 'token=(removed)', 'g'),
       html_body = regexp_replace(html_body, 'token=[^\s"<&]+', 'token=(removed)', 'g');
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_bodies_encrypted CHECK (
    text_body ~ '^v[0-9]{1,5}:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$'
    AND (html_body IS NULL OR html_body ~ '^v[0-9]{1,5}:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$')
) NOT VALID;
