create table if not exists quarantine.figures (
    figure_id         varchar primary key,
    article_id        varchar not null,
    metric            varchar,
    value_low         bigint,
    value_high        bigint,
    qualifier         varchar,
    scope             varchar,
    modality          varchar,
    subject           varchar,
    claimant          varchar,
    claimant_text     varchar,
    as_of_date        date,
    as_of_precision   varchar,
    quote             varchar,
    char_start        bigint,
    char_end          bigint,
    language          varchar,
    extractor_version varchar,
    run_id            varchar not null,   -- the run that put it here
    dq_reasons        varchar not null    -- every contract it failed, joined with '; '
);
