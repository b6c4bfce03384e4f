namespace Lattice.Resp;

/// <summary>
/// The arguments of one command, as slices of a buffer that outlives the call. Built by the request
/// parser or by the log decoder; never copied.
/// </summary>
public readonly ref struct CommandArgs
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly ReadOnlySpan<int> _starts;
    private readonly ReadOnlySpan<int> _lengths;

    public CommandArgs(ReadOnlySpan<byte> buffer, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths)
    {
        if (starts.Length != lengths.Length)
        {
            throw new ArgumentException("starts and lengths differ in count");
        }

        _buffer = buffer;
        _starts = starts;
        _lengths = lengths;
    }

    public int Count => _starts.Length;

    public ReadOnlySpan<byte> this[int index] => _buffer.Slice(_starts[index], _lengths[index]);

    /// <summary>The arguments from <paramref name="first"/> on (used for the commands inside a transaction).</summary>
    public CommandArgs Skip(int first) => new(_buffer, _starts[first..], _lengths[first..]);

    /// <summary>Arguments <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/>.</summary>
    public CommandArgs Slice(int first, int count) =>
        new(_buffer, _starts.Slice(first, count), _lengths.Slice(first, count));

    /// <summary>Total payload bytes of all arguments.</summary>
    public long PayloadBytes
    {
        get
        {
            long total = 0;
            foreach (int length in _lengths)
            {
                total += length;
            }

            return total;
        }
    }

    /// <summary>Case-insensitive ASCII comparison of one argument with a keyword.</summary>
    public bool Is(int index, ReadOnlySpan<byte> upperKeyword) => System.Text.Ascii.EqualsIgnoreCase(this[index], upperKeyword);
}
