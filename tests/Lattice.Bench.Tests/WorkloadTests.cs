using Lattice.Bench.Workloads;
using Lattice.Common;

namespace Lattice.Bench.Tests;

public sealed class WorkloadTests
{
    [Theory]
    [InlineData("A", 0.5, 0.5, 0, 0, 0)]
    [InlineData("B", 0.95, 0.05, 0, 0, 0)]
    [InlineData("C", 1, 0, 0, 0, 0)]
    [InlineData("D", 0.95, 0, 0.05, 0, 0)]
    [InlineData("E", 0, 0, 0.05, 0.95, 0)]
    [InlineData("F", 0.5, 0, 0, 0, 0.5)]
    public void Operation_mix_follows_the_workload(string name, double read, double update, double insert, double scan, double readModifyWrite)
    {
        WorkloadSpec workload = CoreWorkloads.Find(name)!;
        Assert.Equal(1.0, workload.TotalProportion, 9);
        var random = new DeterministicRandom(1);
        var counts = new double[OperationKinds.Count];
        const int draws = 200_000;
        for (int i = 0; i < draws; i++)
        {
            counts[(int)workload.ChooseOperation(random.NextDouble())]++;
        }

        double[] expected = [read, update, insert, scan, readModifyWrite];
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs((counts[k] / draws) - expected[k]) < 0.005, $"{name} {(OperationKind)k}: {counts[k] / draws}");
        }
    }

    [Fact]
    public void Distributions_match_ycsb()
    {
        Assert.Equal(KeyDistribution.Latest, CoreWorkloads.Find("d")!.Distribution);
        Assert.Equal(KeyDistribution.Zipfian, CoreWorkloads.Find("E")!.Distribution);
        Assert.Null(CoreWorkloads.Find("G"));
    }

    [Fact]
    public void Record_keys_are_ycsb_hashed_names()
    {
        Span<byte> key = stackalloc byte[RecordKey.MaxLength];
        int length = RecordKey.Write(0, key);
        Assert.Equal("user" + Fnv64.Hash(0).ToString(System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.ASCII.GetString(key[..length]));
        Assert.NotEqual(Fnv64.Hash(1), Fnv64.Hash(2));
        Assert.True(Fnv64.Hash(long.MaxValue) >= 0);
    }
}
