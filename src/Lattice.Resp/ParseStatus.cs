namespace Lattice.Resp;

public enum ParseStatus
{
    /// <summary>One whole command was read.</summary>
    Complete,

    /// <summary>The buffer ends inside a command: keep the bytes and wait for more.</summary>
    Incomplete,

    /// <summary>The bytes break the protocol; the connection answers the error and closes.</summary>
    Error,
}
