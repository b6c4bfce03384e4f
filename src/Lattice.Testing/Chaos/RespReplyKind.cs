namespace Lattice.Testing.Chaos;

public enum RespReplyKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
}
