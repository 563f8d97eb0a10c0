-- One row per distinct claim: the same figure from the same claimant for the same date,
-- with how many stories reported it (a syndicated copy counts once) and every outlet that
-- carried it (copies included).
with

figures as (
    select distinct on (figure_id) * from staging.stg_figures
),

outlets as (
    select * from staging.stg_article_outlets
),

keyed as (
    select
        md5(concat_ws('|', metric, coalesce(claimant_group, ''), coalesce(as_of_date::varchar, ''),
                      coalesce(as_of_precision, ''), coalesce(value_low::varchar, ''),
                      coalesce(value_high::varchar, ''), qualifier)) as claim_id,
        *
    from figures
),

claim_outlets as (
    select
        keyed.claim_id,
        list(distinct outlets.outlet order by outlets.outlet) as outlets
    from keyed
    inner join outlets using (article_id)
    group by keyed.claim_id
),

claims as (
    select
        claim_id,
        metric,
        coalesce(claimant_group, 'unattributed') as claimant,
        as_of_date,
        as_of_precision,
        value_low,
        value_high,
        qualifier,
        count(distinct story_id) as articles,
        count(*) as reports,
        list(figure_id order by figure_id) as figure_ids,
        min(published_at) as first_published,
        max(published_at) as last_published,
        min(quote) as example_quote
    from keyed
    group by claim_id, metric, claimant_group, as_of_date, as_of_precision, value_low, value_high, qualifier
),

final as (
    select
        claims.*,
        claim_outlets.outlets
    from claims
    left join claim_outlets using (claim_id)
)

select * from final
order by metric, as_of_date, claimant
