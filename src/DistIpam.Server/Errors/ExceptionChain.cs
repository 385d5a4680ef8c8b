namespace DistIpam.Server.Errors;

/// <summary>
/// An exception and everything it wraps, outermost first: inner exceptions and every member of an
/// <see cref="AggregateException"/>. Orleans wraps storage failures (a provider's exception inside
/// an <c>OrleansException</c>), so what happened is often a few levels down.
/// </summary>
public static class ExceptionChain
{
    // Deep enough for Orleans' and the providers' wrapping; a bound guards against cycles too.
    private const int MaxExceptions = 32;

    /// <summary>
    /// <paramref name="exception"/> first, then what it wraps, depth first in order; each exception
    /// once, at most <see cref="MaxExceptions"/>.
    /// </summary>
    public static IEnumerable<Exception> Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0 && seen.Count < MaxExceptions)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            yield return current;
            if (current is AggregateException aggregate)
            {
                for (var i = aggregate.InnerExceptions.Count - 1; i >= 0; i--)
                {
                    pending.Push(aggregate.InnerExceptions[i]);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
