-- A scheme's books by month: expenses of the month and balances at its end, for the
-- indicators' expense, net income, solvency and liquidity ratios.
CREATE TABLE ledger (
    scheme TEXT COLLATE "C" NOT NULL REFERENCES schemes (code) DEFERRABLE INITIALLY DEFERRED,
    month TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    category TEXT COLLATE "C" NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (scheme, month, kind, category)
);
