namespace Lattice.Engine;

/// <summary>The flags COMMAND DOCS reports on an argument.</summary>
[Flags]
public enum CommandArgumentFlags
{
    None = 0,
    Optional = 1,
    Multiple = 2,

    /// <summary>The token is repeated with each value (GET pattern [GET pattern ...]).</summary>
    MultipleToken = 4,
}
