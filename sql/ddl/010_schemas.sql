create schema if not exists raw;
create schema if not exists core;
create schema if not exists quarantine;
create schema if not exists audit;
create schema if not exists staging;
create schema if not exists marts;
