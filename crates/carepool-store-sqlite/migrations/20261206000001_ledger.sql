-- A scheme's books by month: expenses of the month and balances at its end, for the
-- indicators' expense, net income, solvency and liquidity ratios.
CREATE TABLE ledger (
    scheme TEXT NOT NULL REFERENCES schemes (code) DEFERRABLE INITIALLY DEFERRED,
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    amount INTEGER NOT NULL,
    PRIMARY KEY (scheme, month, kind, category)
) STRICT;
