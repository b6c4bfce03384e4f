namespace Lattice.Server.Tests;

/// <summary>The RESP2 and RESP3 reply types, named after what their first byte announces.</summary>
public enum RespKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Null,
    Array,
    Double,
    Boolean,
    BigNumber,
    BlobError,
    VerbatimString,
    Map,
    Set,
    Push,
}
