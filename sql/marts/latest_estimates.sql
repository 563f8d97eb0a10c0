-- The latest estimate of each metric by each claimant: the figure with the latest as_of,
-- the most recently published report breaking ties.
with

figures as (
    select * from staging.stg_figures
),

ranked as (
    select
        *,
        row_number() over (
            partition by metric, claimant
            order by as_of_date desc nulls last, published_at desc nulls last, figure_id
        ) as recency
    from figures
),

final as (
    select
        metric,
        claimant,
        value_low,
        value_high,
        qualifier,
        as_of_date,
        as_of_precision,
        outlet,
        published_at,
        quote
    from ranked
    where recency = 1
)

select * from final
order by metric, claimant
