-- Every outlet that carried each story: the stored article, its syndicated near-duplicates
-- and its exact copies under other names. A story is counted once, its outlets all kept.
with

articles as (
    select
        article_id,
        coalesce(duplicate_of, article_id) as story_id,
        outlet,
        original_source,
        url
    from raw.articles
),

copies as (
    select
        copies.article_id,
        coalesce(articles.story_id, copies.article_id) as story_id,
        copies.outlet,
        null as original_source,
        copies.url
    from raw.article_copies as copies
    left join articles using (article_id)
),

carriers as (
    select * from articles
    union all
    select * from copies
),

final as (
    select distinct
        article_id,
        story_id,
        coalesce(
            nullif(trim(outlet), ''),
            nullif(trim(original_source), ''),
            nullif(regexp_extract(url, '^https?://(?:www\.)?([^/:]+)', 1), ''),
            'unknown'
        ) as outlet
    from carriers
)

select * from final
