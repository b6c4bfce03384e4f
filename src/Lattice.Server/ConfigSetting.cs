namespace Lattice.Server;

/// <summary>
/// One named setting: how to read it, and how to change it (null when it is fixed once the server runs).
/// <see cref="Apply"/> returns an error text, or null when the value was accepted.
/// </summary>
internal sealed record ConfigSetting(
    string Name,
    string Description,
    Func<ServerOptions, string> Read,
    Func<ServerOptions, string, string?> Apply,
    bool MutableAtRuntime);
