-- Figures with their article's provenance, one row per figure and claimant
-- (a figure claimed by "us|kr|ua" speaks for each of them).
with

figures as (
    select * from core.figures
),

articles as (
    select
        article_id,
        coalesce(duplicate_of, article_id) as story_id,
        coalesce(
            nullif(trim(outlet), ''),
            nullif(trim(original_source), ''),
            nullif(regexp_extract(url, '^https?://(?:www\.)?([^/:]+)', 1), ''),
            'unknown'
        ) as outlet,
        published_at
    from raw.articles
),

claimants as (
    select
        figure_id,
        unnest(string_split(coalesce(claimant, 'unattributed'), '|')) as claimant_id
    from figures
),

final as (
    select
        figures.figure_id,
        figures.article_id,
        articles.story_id,
        figures.metric,
        figures.value_low,
        figures.value_high,
        case
            when figures.qualifier in ('range', 'vague') then (figures.value_low + figures.value_high) / 2.0
            else coalesce(figures.value_low, figures.value_high)
        end as point_value,
        figures.qualifier,
        figures.scope,
        figures.modality,
        claimants.claimant_id as claimant,
        figures.claimant as claimant_group,
        figures.as_of_date,
        figures.as_of_precision,
        date_trunc('month', figures.as_of_date)::date as as_of_month,
        articles.outlet,
        articles.published_at,
        figures.quote,
        figures.language
    from figures
    inner join claimants using (figure_id)
    inner join articles using (article_id)
)

select * from final
