namespace Lattice.Bench.Drivers;

/// <summary>
/// One parsed RESP reply's head: its type byte (<c>+ - : $ *</c> and RESP3's <c>_ , # %</c> etc.), its number
/// (integer value, bulk length, or element count; -1 for a null bulk or array) and where its payload starts,
/// relative to the reply's first byte.
/// </summary>
public readonly record struct RespReply(byte Kind, long Number, int PayloadOffset)
{
    public bool IsError => Kind == (byte)'-';

    public bool IsNull => Kind == (byte)'_' || (Kind is (byte)'$' or (byte)'*' && Number < 0);
}
