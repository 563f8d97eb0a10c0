-- Per metric and month: the envelope of every claimant's latest estimate so far.
-- One-sided figures ("at least 600") contribute their one bound to both sides.
with

figures as (
    select * from staging.stg_figures
    where as_of_month is not null
),

months as (
    select
        metric,
        unnest(generate_series(min(as_of_month), max(as_of_month), interval 1 month))::date as month
    from figures
    group by metric
),

latest_so_far as (
    select
        months.metric,
        months.month,
        figures.claimant,
        coalesce(figures.value_low, figures.value_high) as low,
        coalesce(figures.value_high, figures.value_low) as high,
        row_number() over (
            partition by months.metric, months.month, figures.claimant
            order by figures.as_of_date desc, figures.published_at desc nulls last, figures.figure_id
        ) as recency
    from months
    inner join figures
        on figures.metric = months.metric
        and figures.as_of_month <= months.month
),

final as (
    select
        metric,
        month,
        min(low) as low,
        max(high) as high,
        count(*) as claimants,
        list(claimant order by claimant) as claimant_list
    from latest_so_far
    where recency = 1
    group by metric, month
)

select * from final
order by metric, month
