-- Accounts: e-mail verification and password reset tokens, the mail outbox, sign-in/sign-up attempts (rate
-- limits), linked OAuth identities; users gain a session version and may have no password (GitHub only).

-- Bumped whenever every other open session must end (password changed or reset, account deactivated): a session
-- carries the version it was issued with and is refused once it differs.
ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0;

-- NULL for an account that signs in only through an OAuth provider.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

-- Single-use tokens of mailed links. Only the SHA-256 of the token is stored (hex), so a database leak does not
-- hand out working links.
CREATE TABLE auth_tokens (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose VARCHAR(20) NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    token_hash VARCHAR(64) NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_auth_tokens_user ON auth_tokens(user_id, purpose);

-- Every mail the app sends, sent or not: without SMTP_URL this is the only delivery (a development mailbox page).
CREATE TABLE mail_outbox (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    to_address CITEXT NOT NULL CHECK (char_length(to_address) <= 255),
    subject VARCHAR(255) NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT,
    purpose VARCHAR(50) NOT NULL,
    user_id UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at TIMESTAMPTZ,
    error TEXT
);
CREATE INDEX idx_mail_outbox_created_at ON mail_outbox(created_at DESC);
CREATE INDEX idx_mail_outbox_user ON mail_outbox(user_id);

-- Sign-in and sign-up attempts, read by the rate limits (src/server/auth/rate-limit.ts) over a sliding window.
-- account_key is the account's e-mail, or the identifier as typed when no account matches; NULL for sign-ups.
CREATE TABLE auth_attempts (
    id BIGSERIAL PRIMARY KEY,
    kind VARCHAR(10) NOT NULL CHECK (kind IN ('signin', 'signup')),
    account_key CITEXT,
    ip_address VARCHAR(64) NOT NULL,
    succeeded BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_auth_attempts_account ON auth_attempts(kind, account_key, created_at);
CREATE INDEX idx_auth_attempts_ip ON auth_attempts(kind, ip_address, created_at);
-- Old rows are pruned by age.
CREATE INDEX idx_auth_attempts_created_at ON auth_attempts(created_at);

-- Identities at OAuth providers linked to a user (GitHub: the numeric account id, which survives a rename).
CREATE TABLE oauth_accounts (
    provider VARCHAR(50) NOT NULL,
    provider_account_id VARCHAR(255) NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, provider_account_id)
);
CREATE INDEX idx_oauth_accounts_user ON oauth_accounts(user_id);
