-- Range of estimates per metric, source and month of as_of. A source is a claimant
-- (source_kind = 'claimant') or an outlet that carried the figures (source_kind = 'outlet').
with

figures as (
    select * from staging.stg_figures
),

by_claimant as (
    select
        metric,
        'claimant' as source_kind,
        claimant as source,
        as_of_month as period,
        value_low,
        value_high,
        point_value,
        figure_id,
        story_id,
        published_at
    from figures
),

by_outlet as (
    -- one row per figure: a figure with several claimants is carried once by its outlet
    select distinct on (figure_id)
        metric,
        'outlet' as source_kind,
        outlet as source,
        as_of_month as period,
        value_low,
        value_high,
        point_value,
        figure_id,
        story_id,
        published_at
    from figures
),

sources as (
    select * from by_claimant
    union all
    select * from by_outlet
),

final as (
    select
        metric,
        source_kind,
        source,
        period,
        min(value_low) as low,
        max(value_high) as high,
        median(point_value) as median_value,
        count(distinct figure_id) as figures,
        count(distinct story_id) as articles,
        min(published_at) as first_published,
        max(published_at) as last_published
    from sources
    group by metric, source_kind, source, period
)

select * from final
order by metric, source_kind, source, period
