namespace Lattice.Cli;

/// <summary>
/// The flag style of <c>lattice bench</c>: <c>--name value</c> options from a known set, plus switches that take no
/// value. Parsed once, so each command only reads what it needs.
/// </summary>
internal sealed class OptionArguments
{
    private OptionArguments(Dictionary<string, string> values, HashSet<string> switches, bool help)
    {
        Values = values;
        Switches = switches;
        Help = help;
    }

    public Dictionary<string, string> Values { get; }

    public HashSet<string> Switches { get; }

    /// <summary>--help or -h was given.</summary>
    public bool Help { get; }

    /// <summary>Parses <paramref name="args"/>; returns the error text for an unknown option or a missing value.</summary>
    public static string? TryParse(
        string[] args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> switchOptions, out OptionArguments parsed)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var switches = new HashSet<string>(StringComparer.Ordinal);
        parsed = new OptionArguments(values, switches, help: false);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "--help" or "-h")
            {
                parsed = new OptionArguments(values, switches, help: true);
                return null;
            }

            if (switchOptions.Contains(arg))
            {
                switches.Add(arg);
            }
            else if (valueOptions.Contains(arg) && i + 1 < args.Length)
            {
                values[arg] = args[++i];
            }
            else
            {
                return $"bad option '{arg}'";
            }
        }

        return null;
    }
}
