from reglab.cli import main

# The guard matters: Dask's LocalCluster starts its workers with the spawn method, which
# imports this module again in each of them.
if __name__ == "__main__":
    raise SystemExit(main())
