-- Account administration (issue 11, S3): why an account was disabled, shown in the user
-- list beside the flag; cleared when the account is enabled again.
ALTER TABLE users ADD COLUMN disabled_reason TEXT;
