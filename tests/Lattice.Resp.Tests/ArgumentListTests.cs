using Lattice.Common;

namespace Lattice.Resp.Tests;

/// <summary>The reusable offset store behind <see cref="CommandArgs"/>.</summary>
public sealed class ArgumentListTests
{
    [Fact]
    public void New_list_is_empty()
    {
        using var args = new ArgumentList();
        Assert.Equal(0, args.Count);
        Assert.Equal(0, args.AsArgs([]).Count);
    }

    [Fact]
    public void Added_offsets_become_argument_slices_in_order()
    {
        byte[] buffer = Wire.Bytes("SETkeyvalue");
        using var args = new ArgumentList();
        args.Add(0, 3);
        args.Add(3, 3);
        args.Add(6, 5);

        CommandArgs view = args.AsArgs(buffer);
        Assert.Equal(3, view.Count);
        Assert.Equal("SET", Wire.Text(view[0]));
        Assert.Equal("key", Wire.Text(view[1]));
        Assert.Equal("value", Wire.Text(view[2]));
    }

    [Fact]
    public void List_grows_past_its_initial_capacity_keeping_every_offset()
    {
        byte[] buffer = new byte[10_000];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)i;
        }

        using var args = new ArgumentList(initialCapacity: 1);
        for (int i = 0; i < 5000; i++)
        {
            args.Add(i * 2, 2);
        }

        Assert.Equal(5000, args.Count);
        CommandArgs view = args.AsArgs(buffer);
        for (int i = 0; i < 5000; i++)
        {
            Assert.Equal((byte)(i * 2), view[i][0]);
            Assert.Equal((byte)((i * 2) + 1), view[i][1]);
        }
    }

    [Fact]
    public void Ensure_capacity_keeps_existing_offsets()
    {
        using var args = new ArgumentList(initialCapacity: 1);
        args.Add(1, 2);
        args.EnsureCapacity(1000);
        Assert.Equal(1, args.Count);
        for (int i = 0; i < 999; i++)
        {
            args.Add(0, 0);
        }

        Assert.Equal(1000, args.Count);
        Assert.Equal("bc", Wire.Text(args.AsArgs(Wire.Bytes("abcd"))[0]));
    }

    [Fact]
    public void Clear_empties_the_list_for_reuse()
    {
        using var args = new ArgumentList();
        args.Add(0, 1);
        args.Add(1, 1);
        args.Clear();
        Assert.Equal(0, args.Count);
        args.Add(2, 1);
        Assert.Equal("c", Wire.Text(args.AsArgs(Wire.Bytes("abc"))[0]));
    }

    [Fact]
    public void Zero_length_argument_is_allowed()
    {
        using var args = new ArgumentList();
        args.Add(3, 0);
        Assert.True(args.AsArgs(Wire.Bytes("abc"))[0].IsEmpty);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    [InlineData(int.MinValue, int.MinValue)]
    public void Negative_offsets_are_an_invariant_violation(int start, int length)
    {
        using var args = new ArgumentList();
        Assert.Throws<InvariantViolationException>(() => args.Add(start, length));
        Assert.Equal(0, args.Count);
    }

    [Fact]
    public void Disposed_list_is_empty_and_disposing_twice_is_harmless()
    {
        var args = new ArgumentList();
        args.Add(0, 1);
        args.Dispose();
        Assert.Equal(0, args.Count);
        args.Dispose();
        Assert.Equal(0, args.Count);
    }
}
