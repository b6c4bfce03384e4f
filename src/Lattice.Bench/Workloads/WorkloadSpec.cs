namespace Lattice.Bench.Workloads;

/// <summary>
/// One YCSB core workload: the operation mix (proportions that add up to 1), the request distribution and the
/// longest scan. <see cref="ChooseOperation"/> maps a uniform draw in [0, 1) onto the mix.
/// </summary>
public sealed record WorkloadSpec(
    string Name,
    double ReadProportion,
    double UpdateProportion,
    double InsertProportion,
    double ScanProportion,
    double ReadModifyWriteProportion,
    KeyDistribution Distribution,
    int MaxScanLength)
{
    public double TotalProportion =>
        ReadProportion + UpdateProportion + InsertProportion + ScanProportion + ReadModifyWriteProportion;

    public bool Inserts => InsertProportion > 0;

    public OperationKind ChooseOperation(double uniform)
    {
        // Cumulative thresholds in a fixed order, as YCSB's DiscreteGenerator walks its list.
        double threshold = ReadProportion;
        if (uniform < threshold)
        {
            return OperationKind.Read;
        }

        threshold += UpdateProportion;
        if (uniform < threshold)
        {
            return OperationKind.Update;
        }

        threshold += InsertProportion;
        if (uniform < threshold)
        {
            return OperationKind.Insert;
        }

        threshold += ScanProportion;
        if (uniform < threshold)
        {
            return OperationKind.Scan;
        }

        return ReadModifyWriteProportion > 0 ? OperationKind.ReadModifyWrite : LastNonZero();
    }

    // Rounding can leave a draw just past the last threshold; it belongs to the last operation in the mix.
    private OperationKind LastNonZero() =>
        ScanProportion > 0 ? OperationKind.Scan
        : InsertProportion > 0 ? OperationKind.Insert
        : UpdateProportion > 0 ? OperationKind.Update
        : OperationKind.Read;
}
