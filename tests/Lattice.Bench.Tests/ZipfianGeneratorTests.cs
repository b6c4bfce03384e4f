using Lattice.Bench.Workloads;
using Lattice.Common;

namespace Lattice.Bench.Tests;

public sealed class ZipfianGeneratorTests
{
    private const int Draws = 1_000_000;

    [Fact]
    public void Top_ranks_occur_as_often_as_zipf_law_predicts()
    {
        const long items = 1000;
        var generator = new ZipfianGenerator(items);
        var random = new DeterministicRandom(42);
        var counts = new long[items];
        for (int i = 0; i < Draws; i++)
        {
            counts[generator.Next(ref random)]++;
        }

        const double theta = ZipfianGenerator.YcsbTheta;
        double zeta = ZipfianGenerator.Zeta(items, theta);

        // Ranks 0 and 1 are drawn with their exact Zipf probabilities.
        for (int rank = 0; rank < 2; rank++)
        {
            double expected = 1 / Math.Pow(rank + 1, theta) / zeta;
            double observed = (double)counts[rank] / Draws;
            Assert.True(Math.Abs(observed - expected) <= 0.02 * expected, $"rank {rank}: observed {observed:F5}, expected {expected:F5}");
        }

        // Larger ranks follow Gray's closed form (as YCSB): rank >= r when u >= ((r/n)^(1-θ) - 1 + η) / η.
        double eta = (1 - Math.Pow(2.0 / items, 1 - theta)) / (1 - (ZipfianGenerator.Zeta(2, theta) / zeta));
        double firstTwo = (1 + Math.Pow(0.5, theta)) / zeta;
        double AtLeast(int r) => Math.Max(firstTwo, (Math.Pow((double)r / items, 1 - theta) - 1 + eta) / eta);
        for (int rank = 2; rank < 6; rank++)
        {
            double expected = AtLeast(rank + 1) - AtLeast(rank);
            double observed = (double)counts[rank] / Draws;
            Assert.True(Math.Abs(observed - expected) <= 0.04 * expected, $"rank {rank}: observed {observed:F5}, Gray's {expected:F5}");
        }

        Assert.True(counts[0] > counts[1] && counts[1] > counts[2] && counts[2] > counts[10] && counts[10] > counts[500], "popularity falls with rank");
    }

    [Fact]
    public void Scrambled_zipfian_hottest_record_has_the_first_rank_probability_of_ten_billion_items()
    {
        const long records = 100_000;
        var generator = new ScrambledZipfianGenerator(records);
        var random = new DeterministicRandom(7);
        var counts = new Dictionary<long, long>();
        for (int i = 0; i < Draws; i++)
        {
            long record = generator.Next(ref random, records);
            Assert.InRange(record, 0, records - 1);
            counts[record] = counts.GetValueOrDefault(record) + 1;
        }

        // YCSB draws ranks over 10^10 items and hashes them: rank 0 lands on fnv(0) mod n with P = 1/ζ(10^10, 0.99).
        long hottest = Fnv64.Hash(0) % records;
        double expected = 1 / ScrambledZipfianGenerator.ZetaOfItemCount;
        double observed = (double)counts[hottest] / Draws;
        Assert.True(Math.Abs(observed - expected) <= 0.03 * expected, $"observed {observed:F5}, expected {expected:F5}");
        Assert.Equal(hottest, counts.MaxBy(pair => pair.Value).Key);

        // Second rank: fnv(1) mod n with P = 2^-θ / ζ.
        double second = Math.Pow(0.5, ZipfianGenerator.YcsbTheta) / ScrambledZipfianGenerator.ZetaOfItemCount;
        Assert.True(Math.Abs(((double)counts[Fnv64.Hash(1) % records] / Draws) - second) <= 0.04 * second);
    }

    [Fact]
    public void Zeta_is_the_sum_of_inverse_powers()
    {
        Assert.Equal(1, ZipfianGenerator.Zeta(1, 0.99), 12);
        Assert.Equal(1 + Math.Pow(2, -0.99), ZipfianGenerator.Zeta(2, 0.99), 12);
    }

    [Fact]
    public void Same_seed_gives_the_same_keys()
    {
        var first = new ScrambledZipfianGenerator(1000);
        var second = new ScrambledZipfianGenerator(1000);
        var a = new DeterministicRandom(9);
        var b = new DeterministicRandom(9);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(first.Next(ref a, 1000), second.Next(ref b, 1000));
        }
    }

    [Fact]
    public void Latest_prefers_the_newest_records_and_follows_inserts()
    {
        const long records = 1000;
        var generator = new LatestKeyGenerator(records, ZipfianGenerator.Zeta(records, ZipfianGenerator.YcsbTheta));
        var random = new DeterministicRandom(3);
        long newest = 0, oldestHalf = 0;
        for (int i = 0; i < 100_000; i++)
        {
            long record = generator.Next(ref random, records);
            Assert.InRange(record, 0, records - 1);
            newest += record == records - 1 ? 1 : 0;
            oldestHalf += record < records / 2 ? 1 : 0;
        }

        Assert.True(newest > oldestHalf / 2, $"newest {newest} vs oldest half {oldestHalf}");
        Assert.True(generator.Next(ref random, records + 500) <= records + 499);
    }

    [Fact]
    public void Uniform_draws_spread_evenly()
    {
        var generator = new UniformKeyGenerator();
        var random = new DeterministicRandom(5);
        var counts = new long[10];
        for (int i = 0; i < 100_000; i++)
        {
            counts[generator.Next(ref random, 10)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}
