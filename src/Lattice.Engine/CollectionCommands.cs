using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// What the collection families (hash, list, set, sorted set) do alike: a typed lookup that answers WRONGTYPE
/// for another kind, creating a collection on its first write, and deleting one that empties (Redis never
/// keeps an empty collection).
/// </summary>
internal static class CollectionCommands
{
    /// <summary>
    /// The <typeparamref name="T"/> under <paramref name="key"/> for a read (null when absent); false, with
    /// WRONGTYPE written, when the key holds something else.
    /// </summary>
    public static bool TryRead<T>(CommandContext context, ReadOnlySpan<byte> key, out T? collection)
        where T : CollectionValue =>
        Check(context, context.Database.Read(key, context.TimeMs), out collection);

    /// <summary>As <see cref="TryRead{T}"/>, for a write: expired keys are dropped and a snapshot's copy is kept intact.</summary>
    public static bool TryReadForWrite<T>(CommandContext context, ReadOnlySpan<byte> key, out T? collection)
        where T : CollectionValue =>
        Check(context, context.Database.ReadForWrite(key, context.TimeMs), out collection);

    /// <summary>The collection to write into, created (and stored) when the key is absent; null after WRONGTYPE.</summary>
    public static T? OpenOrCreate<T>(CommandContext context, ReadOnlySpan<byte> key)
        where T : CollectionValue, new()
    {
        if (!TryReadForWrite(context, key, out T? collection))
        {
            return null;
        }

        if (collection is null)
        {
            collection = new T();
            context.Database.Set(key, collection);
        }

        return collection;
    }

    /// <summary>Deletes the key when its collection has emptied.</summary>
    public static void DeleteIfEmpty(CommandContext context, ReadOnlySpan<byte> key, CollectionValue collection)
    {
        if (collection.Count == 0)
        {
            context.Database.Delete(key);
        }
    }

    /// <summary>
    /// HDEL, SREM and ZREM: removes args[2..] from the collection at args[1] and replies how many were there; an
    /// absent key removes nothing.
    /// </summary>
    public static void RemoveAll<T>(CommandContext context, CommandArgs args, Func<T, ReadOnlySpan<byte>, bool> remove)
        where T : CollectionValue
    {
        if (!TryReadForWrite(context, args[1], out T? collection))
        {
            return;
        }

        long removed = 0;
        if (collection is not null)
        {
            for (int i = 2; i < args.Count; i++)
            {
                removed += remove(collection, args[i]) ? 1 : 0;
            }

            DeleteIfEmpty(context, args[1], collection);
        }

        context.Reply.Integer(removed);
    }

    private static bool Check<T>(CommandContext context, object? value, out T? collection)
        where T : CollectionValue
    {
        collection = value as T;
        if (value is null || collection is not null)
        {
            return true;
        }

        context.Reply.Error(Errors.WrongType);
        return false;
    }
}
