namespace Lattice.Testing.Chaos;

/// <summary>
/// How a call ended: a reply, or no reply. Without a reply, <see cref="SurelyNotSent"/> tells a command that never
/// left the harness (connect failed: it cannot have taken effect) from one lost on the way (it may have).
/// </summary>
internal readonly record struct ChaosCallResult(RespReply? Reply, bool SurelyNotSent, string? Failure)
{
    public static ChaosCallResult Replied(RespReply reply) => new(reply, false, null);

    public static ChaosCallResult NotSent(string why) => new(null, true, "connect: " + why);

    public static ChaosCallResult Lost(string why) => new(null, false, why);

    /// <summary>
    /// Errors the node documents as "not applied" (docs/consistency.md): refused before logging, or dropped in a
    /// leader change. Every other error, and a lost reply, leaves a write indeterminate.
    /// </summary>
    public bool IsDefiniteFailure =>
        SurelyNotSent
        || (Reply is { IsError: true, Text: { } text }
            && (text.StartsWith("TRYAGAIN", StringComparison.Ordinal)
                || text.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
                || text.Contains("dropped in a leader change", StringComparison.Ordinal)));

    /// <summary>
    /// A short label for the report's tally of errors: the error code ("TIMEOUT", "TRYAGAIN"), or for a plain ERR
    /// its first words, which say what it was; "connect: SocketException" and the like for no reply.
    /// </summary>
    public string ErrorLabel => Reply is { IsError: true, Text: { } text } ? Label(text) : Failure ?? "unexpected reply: " + Reply?.Kind;

    private static string Label(string text)
    {
        string[] words = text.Split(' ', 7);
        return words[0] == "ERR" ? string.Join(' ', words[..Math.Min(words.Length, 6)]) : words[0];
    }
}
