-- The language of a user's pages (a tag: en, fr); empty: the server's default.
ALTER TABLE users ADD COLUMN language TEXT;
