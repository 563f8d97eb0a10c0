-- Range of estimates per metric, source and month of as_of. A source is a claimant
-- (source_kind = 'claimant') or an outlet that carried the figures (source_kind = 'outlet').
with

figures as (
    select * from staging.stg_figures
),

sources as (
    -- one row per figure and source: stg_figures repeats a figure per claimant, so its
    -- outlet rows collapse to one with distinct
    select distinct
        figure_id,
        story_id,
        metric,
        as_of_month as period,
        value_low,
        value_high,
        point_value,
        published_at,
        source_kind,
        source
    from (unpivot figures on claimant, outlet into name source_kind value source)
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
