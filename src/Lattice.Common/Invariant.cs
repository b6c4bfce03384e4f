using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Lattice.Common;

/// <summary>
/// Checks that stay on in release builds. A failed check means the process's own state is wrong,
/// so it throws <see cref="InvariantViolationException"/>, which hosts treat as fatal.
/// </summary>
public static class Invariant
{
    public static void Check(
        [DoesNotReturnIf(false)] bool condition,
        string message,
        [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        if (!condition)
        {
            Fail(message, expression);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fail(string message, string? expression = null)
    {
        throw new InvariantViolationException(expression is null ? message : $"{message} ({expression})");
    }
}
