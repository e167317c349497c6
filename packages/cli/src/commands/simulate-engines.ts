/** `simulate --engine`: the choices and their help, apart from the DuckDB runner, which is loaded only when chosen. */
export const ENGINES = ["process", "duckdb"] as const;
export const ENGINE_HELP = `  --engine ENGINE           process (default) or duckdb: run the compiled SQL in embedded
                            DuckDB over Parquet or CSV files with the columns time, user,
                            device, src_ip, host, dst_ip, url, bytes_up, bytes_down (discovery
                            only: no verdict counts, no unknown domains)
`;
