namespace Lattice.Resp.Tests;

/// <summary>Protocol limits: Redis's defaults, and settings that cannot work are refused by name.</summary>
public sealed class RespLimitsTests
{
    [Fact]
    public void Defaults_are_redis_defaults()
    {
        RespLimits limits = RespLimits.Default;
        Assert.Equal(512L * 1024 * 1024, limits.MaxBulkBytes);
        Assert.Equal(64 * 1024, limits.MaxInlineBytes);
        Assert.Equal(1024L * 1024 * 1024, limits.MaxQueryBufferBytes);
        Assert.Equal(1024 * 1024, limits.MaxMultiBulkLength);
        Assert.True(limits.MaxNestingDepth > 0);
        Assert.True(limits.MaxOutputBufferBytes > 0);
    }

    [Fact]
    public void Default_limits_are_valid()
    {
        RespLimits.Default.Validate();
        new RespLimits().Validate();
    }

    [Fact]
    public void Limits_at_their_bounds_are_valid()
    {
        new RespLimits
        {
            MaxBulkBytes = int.MaxValue - 64,
            MaxMultiBulkLength = 1,
            MaxInlineBytes = 1,
            MaxQueryBufferBytes = 1,
            MaxNestingDepth = 1,
            MaxOutputBufferBytes = 1,
        }.Validate();
        new RespLimits { MaxBulkBytes = 1 }.Validate();
    }

    [Theory]
    [InlineData("bulk-zero", "proto-max-bulk-len")]
    [InlineData("bulk-negative", "proto-max-bulk-len")]
    [InlineData("bulk-too-big", "proto-max-bulk-len")]
    [InlineData("multibulk-zero", "proto-max-multibulk-len")]
    [InlineData("inline-zero", "proto-max-inline-len")]
    [InlineData("query-below-inline", "client-query-buffer-limit")]
    [InlineData("nesting-zero", "proto-max-nesting")]
    [InlineData("output-zero", "client-output-buffer-limit")]
    public void Setting_that_cannot_work_is_refused_by_name(string setting, string name)
    {
        RespLimits limits = setting switch
        {
            "bulk-zero" => new RespLimits { MaxBulkBytes = 0 },
            "bulk-negative" => new RespLimits { MaxBulkBytes = -1 },
            "bulk-too-big" => new RespLimits { MaxBulkBytes = int.MaxValue - 63 },
            "multibulk-zero" => new RespLimits { MaxMultiBulkLength = 0 },
            "inline-zero" => new RespLimits { MaxInlineBytes = 0 },
            "query-below-inline" => new RespLimits { MaxInlineBytes = 100, MaxQueryBufferBytes = 99 },
            "nesting-zero" => new RespLimits { MaxNestingDepth = 0 },
            "output-zero" => new RespLimits { MaxOutputBufferBytes = 0 },
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };

        ArgumentException error = Assert.Throws<ArgumentException>(limits.Validate);
        Assert.StartsWith(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_are_independent_instances()
    {
        var custom = new RespLimits { MaxInlineBytes = 10 };
        Assert.Equal(10, custom.MaxInlineBytes);
        Assert.Equal(64 * 1024, RespLimits.Default.MaxInlineBytes);
    }
}
