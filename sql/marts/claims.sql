-- One row per distinct claim: the same figure from the same claimant for the same date,
-- with how many articles reported it and which outlets carried it.
with

figures as (
    select distinct on (figure_id) * from staging.stg_figures
),

final as (
    select
        md5(concat_ws('|', metric, coalesce(claimant_group, ''), coalesce(as_of_date::varchar, ''),
                      coalesce(as_of_precision, ''), coalesce(value_low::varchar, ''),
                      coalesce(value_high::varchar, ''), qualifier)) as claim_id,
        metric,
        coalesce(claimant_group, 'unattributed') as claimant,
        as_of_date,
        as_of_precision,
        value_low,
        value_high,
        qualifier,
        count(distinct story_id) as articles,
        count(*) as reports,
        list(distinct outlet order by outlet) as outlets,
        list(figure_id order by figure_id) as figure_ids,
        min(published_at) as first_published,
        max(published_at) as last_published,
        min(quote) as example_quote
    from figures
    group by metric, claimant_group, as_of_date, as_of_precision, value_low, value_high, qualifier
)

select * from final
order by metric, as_of_date, claimant
