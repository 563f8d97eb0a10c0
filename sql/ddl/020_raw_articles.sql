-- One row per distinct article text; copies under other names are audit.items rows.
create table if not exists raw.articles (
    article_id      varchar primary key,   -- hash of the normalised text
    source_uri      varchar not null,      -- the path or URL read first
    title           varchar,
    outlet          varchar,
    url             varchar,
    original_source varchar,
    published_at    date,
    language        varchar,
    text            varchar not null,
    duplicate_of    varchar,               -- near-duplicate of another article (a syndicated copy)
    ingested_at     timestamp not null,
    run_id          varchar not null
);
