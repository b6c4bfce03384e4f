using Lattice.Common;

namespace Lattice.Resp.Tests;

/// <summary>
/// Seeded fuzzing: mutated and truncated requests only ever give a documented result, never consume more
/// than they were given, and behave the same when more bytes follow.
/// </summary>
public sealed class RequestParserFuzzTests
{
    private const int Iterations = 5000;

    private static readonly byte[] Interesting = Wire.Bytes("*$\r\n-+0123456789 \"'\\x\0:%_");

    private static readonly RespLimits SmallLimits = new()
    {
        MaxBulkBytes = 16,
        MaxMultiBulkLength = 5,
        MaxInlineBytes = 24,
    };

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(0xC0FFEEUL)]
    public void Mutated_requests_give_only_documented_results(ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var outcomes = new Dictionary<ParseStatus, int>();
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            byte[] buffer = Mutate(ref random, ValidRequest(ref random));
            byte[] tail = RandomBytes(ref random, 1 + random.NextInt(16));
            RespLimits limits = random.NextInt(2) == 0 ? RespLimits.Default : SmallLimits;
            string context = $"seed {seed}, iteration {iteration}, buffer \"{Escape(buffer)}\"";
            ParseStatus status = CheckOne(buffer, tail, limits, context);
            outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
        }

        // The mutations must reach every outcome, or the fuzzing proves little.
        foreach (ParseStatus status in Enum.GetValues<ParseStatus>())
        {
            Assert.True(outcomes.GetValueOrDefault(status) >= Iterations / 20, $"{status}: {outcomes.GetValueOrDefault(status)} of {Iterations}");
        }
    }

    [Fact]
    public void Random_bytes_give_only_documented_results()
    {
        var random = new DeterministicRandom(0xFEED);
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            byte[] buffer = random.NextInt(2) == 0
                ? RandomBytes(ref random, random.NextInt(64))
                : RandomFrom(ref random, Interesting, random.NextInt(64));
            byte[] tail = RandomBytes(ref random, 1 + random.NextInt(16));
            string context = $"iteration {iteration}, buffer \"{Escape(buffer)}\"";
            CheckOne(buffer, tail, SmallLimits, context);
        }
    }

    [Fact]
    public void Mutated_pipelines_are_parsed_to_the_end_in_bounded_steps()
    {
        var random = new DeterministicRandom(0x91BE);
        for (int iteration = 0; iteration < 1000; iteration++)
        {
            var stream = new List<byte>();
            int requests = 1 + random.NextInt(6);
            for (int i = 0; i < requests; i++)
            {
                stream.AddRange(ValidRequest(ref random));
            }

            byte[] buffer = random.NextInt(3) == 0 ? [.. stream] : Mutate(ref random, [.. stream]);
            int offset = 0;
            int steps = 0;
            using var args = new ArgumentList();
            while (true)
            {
                steps++;
                Assert.True(steps <= buffer.Length + 1, $"iteration {iteration}: no progress");
                Parsed parsed = Wire.ParseInto(buffer.AsSpan(offset), RespLimits.Default, args);
                Assert.InRange(parsed.Consumed, 0, buffer.Length - offset);
                if (parsed.Status != ParseStatus.Complete)
                {
                    break;
                }

                Assert.True(parsed.Consumed > 0, $"iteration {iteration}: a complete request consumed nothing");
                offset += parsed.Consumed;
            }
        }
    }

    [Fact]
    public void Unmutated_pipelines_parse_back_to_their_requests()
    {
        var random = new DeterministicRandom(0xA11);
        for (int iteration = 0; iteration < 1000; iteration++)
        {
            var expected = new List<byte[][]>();
            var stream = new List<byte>();
            int requests = 1 + random.NextInt(6);
            for (int i = 0; i < requests; i++)
            {
                byte[][] args = RandomArgs(ref random);
                expected.Add(args);
                stream.AddRange(Wire.Encode(args));
            }

            List<Parsed> results = Wire.ParseAll([.. stream]);
            Assert.Equal(requests + 1, results.Count);
            for (int i = 0; i < requests; i++)
            {
                Assert.Equal(expected[i], results[i].Args);
            }

            Assert.Equal(ParseStatus.Incomplete, results[^1].Status);
        }
    }

    private static ParseStatus CheckOne(byte[] buffer, byte[] tail, RespLimits limits, string context)
    {
        Parsed parsed = SafeParse(buffer, limits, context);
        CheckInvariants(parsed, buffer.Length, context);

        // Bytes that arrive later never change a decided outcome.
        Parsed extended = SafeParse([.. buffer, .. tail], limits, context);
        CheckInvariants(extended, buffer.Length + tail.Length, context);
        if (parsed.Status != ParseStatus.Incomplete)
        {
            Assert.True(parsed.Status == extended.Status, $"{context}: {parsed.Status} became {extended.Status} ({extended.Error})");
        }

        if (parsed.Status == ParseStatus.Complete)
        {
            Assert.Equal(parsed.Consumed, extended.Consumed);
            Assert.Equal(parsed.Args, extended.Args);
        }

        // Every prefix of a complete request is incomplete.
        if (parsed.Status == ParseStatus.Complete)
        {
            for (int length = 0; length < parsed.Consumed; length++)
            {
                Parsed prefix = SafeParse(buffer[..length], limits, context);
                Assert.True(prefix.Status == ParseStatus.Incomplete, $"{context}: prefix of {length} gave {prefix.Status} ({prefix.Error})");
            }
        }

        if (buffer.Length > 0 && buffer[0] == (byte)'*')
        {
            Parsed logEntry = SafeParseMultiBulk(buffer, limits, context);
            CheckInvariants(logEntry, buffer.Length, context);
            Assert.Equal(parsed.Status, logEntry.Status);
            Assert.Equal(parsed.Consumed, logEntry.Consumed);
            Assert.Equal(parsed.Error, logEntry.Error);
            Assert.Equal(parsed.Args, logEntry.Args);
        }

        return parsed.Status;
    }

    private static void CheckInvariants(Parsed parsed, int length, string context)
    {
        Assert.True(Enum.IsDefined(parsed.Status), $"{context}: undefined status {parsed.Status}");
        Assert.True(parsed.Consumed >= 0 && parsed.Consumed <= length, $"{context}: consumed {parsed.Consumed} of {length}");
        switch (parsed.Status)
        {
            case ParseStatus.Complete:
                Assert.True(parsed.Consumed > 0, $"{context}: complete without consuming");
                Assert.True(parsed.Error is null, $"{context}: complete with error {parsed.Error}");
                Assert.True(parsed.Args.Sum(arg => (long)arg.Length) <= parsed.Consumed, $"{context}: arguments exceed the request");
                break;
            case ParseStatus.Incomplete:
                Assert.True(parsed.Consumed == 0, $"{context}: incomplete but consumed {parsed.Consumed}");
                Assert.True(parsed.Error is null, $"{context}: incomplete with error {parsed.Error}");
                break;
            case ParseStatus.Error:
                Assert.True(parsed.Error?.StartsWith("Protocol error: ", StringComparison.Ordinal) == true, $"{context}: error text {parsed.Error}");
                break;
        }
    }

    private static Parsed SafeParse(byte[] buffer, RespLimits limits, string context)
    {
        try
        {
            return Wire.Parse(buffer, limits);
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{context}: TryParse threw {exception}");
            throw;
        }
    }

    private static Parsed SafeParseMultiBulk(byte[] buffer, RespLimits limits, string context)
    {
        try
        {
            return Wire.ParseMultiBulk(buffer, limits);
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{context}: ParseMultiBulk threw {exception}");
            throw;
        }
    }

    private static byte[] ValidRequest(ref DeterministicRandom random)
    {
        if (random.NextInt(4) == 0)
        {
            // An inline request, sometimes quoted.
            var line = new List<byte>();
            int words = random.NextInt(4);
            for (int i = 0; i < words; i++)
            {
                if (i > 0)
                {
                    line.Add((byte)' ');
                }

                byte[] word = RandomFrom(ref random, Wire.Bytes("abcXYZ019"), 1 + random.NextInt(6));
                if (random.NextInt(3) == 0)
                {
                    line.Add((byte)'"');
                    line.AddRange(word);
                    line.AddRange(Wire.Bytes("\\x41\\n"));
                    line.Add((byte)'"');
                }
                else
                {
                    line.AddRange(word);
                }
            }

            line.AddRange(random.NextInt(2) == 0 ? Wire.Bytes("\r\n") : Wire.Bytes("\n"));
            return [.. line];
        }

        return Wire.Encode(RandomArgs(ref random));
    }

    private static byte[][] RandomArgs(ref DeterministicRandom random)
    {
        var args = new byte[random.NextInt(6)][];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = random.NextInt(2) == 0
                ? RandomBytes(ref random, random.NextInt(20))
                : RandomFrom(ref random, Interesting, random.NextInt(20));
        }

        return args;
    }

    private static byte[] Mutate(ref DeterministicRandom random, byte[] original)
    {
        var bytes = new List<byte>(original);
        int mutations = 1 + random.NextInt(4);
        for (int m = 0; m < mutations; m++)
        {
            int at = bytes.Count == 0 ? 0 : random.NextInt(bytes.Count);
            switch (random.NextInt(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.NextInt(256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = Interesting[random.NextInt(Interesting.Length)];
                    break;
                case 2:
                    bytes.Insert(at, Interesting[random.NextInt(Interesting.Length)]);
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5 when bytes.Count > 0:
                    int length = random.NextInt(bytes.Count - at) + 1;
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes.InsertRange(at, RandomFrom(ref random, Wire.Bytes("0123456789"), 1 + random.NextInt(25)));
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] RandomBytes(ref DeterministicRandom random, int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.NextInt(256);
        }

        return bytes;
    }

    private static byte[] RandomFrom(ref DeterministicRandom random, byte[] alphabet, int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = alphabet[random.NextInt(alphabet.Length)];
        }

        return bytes;
    }

    private static string Escape(byte[] bytes) =>
        string.Concat(bytes.Select(b => b is >= 0x20 and < 0x7f and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}"));
}
