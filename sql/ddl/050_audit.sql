create table if not exists audit.runs (
    run_id              varchar primary key,
    started_at          timestamp not null,
    finished_at         timestamp,
    source              varchar not null,
    extraction_key      varchar not null,
    items_read          integer not null,
    articles_loaded     integer not null,
    articles_duplicate  integer not null,
    articles_unchanged  integer not null,
    articles_rejected   integer not null,
    articles_extracted  integer not null,
    figures_extracted   integer not null,
    figures_loaded      integer not null,
    figures_quarantined integer not null,
    gate_verdict        varchar not null,  -- passed | failed
    gate_reason         varchar
);

-- Every item seen in every run, and what became of it: nothing disappears without a row.
create table if not exists audit.items (
    run_id       varchar not null,
    source_uri   varchar not null,
    article_id   varchar,
    outcome      varchar not null,         -- loaded | duplicate | unchanged | rejected
    reason       varchar,
    duplicate_of varchar
);

-- added after the first release: warehouses made before it gain the column
alter table audit.runs add column if not exists articles_without_date integer default 0;
