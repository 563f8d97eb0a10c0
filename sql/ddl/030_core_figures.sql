create table if not exists core.figures (
    figure_id         varchar primary key,
    article_id        varchar not null,
    metric            varchar not null,
    value_low         bigint,
    value_high        bigint,
    qualifier         varchar not null,
    scope             varchar not null,
    modality          varchar not null,
    subject           varchar not null,
    claimant          varchar,             -- claimant ids joined with |
    claimant_text     varchar,             -- the words that named them
    as_of_date        date,
    as_of_precision   varchar,             -- day | month | year
    quote             varchar not null,
    char_start        bigint not null,
    char_end          bigint not null,
    language          varchar not null,
    extractor_version varchar not null,
    run_id            varchar not null
);

-- Which articles were extracted with which extractor and lexicons: a change to either
-- makes the next run extract them again (and releases quarantined rows that now pass).
create table if not exists core.article_extractions (
    article_id     varchar primary key,
    extraction_key varchar not null,
    run_id         varchar not null
);
