/*
 * arena.c -- the bump allocator that owns a whole syntax tree.
 *
 * The front end allocates many small nodes and frees them all at once, so
 * memory comes from big blocks that are released together by arena_free.
 */
#include "ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 65536
#define ARENA_ALIGN 16

typedef struct Block {
    struct Block *next;
    size_t used, cap;
    /* the payload follows, aligned by the union below */
    union { max_align_t m; char c[16]; } data[];
} Block;

struct Arena {
    Block *head;            /* the block being filled; older ones behind it */
};

/* The front end has no VM to report to, so running out of memory is fatal
 * here, as it is at the interpreter's allocation choke point. */
static void *arena_malloc(size_t size)
{
    void *p = malloc(size);
    if (!p) {
        fprintf(stderr, "gilscope: out of memory (%zu bytes)\n", size);
        abort();
    }
    return p;
}

Arena *arena_new(void)
{
    Arena *a = arena_malloc(sizeof *a);
    a->head = NULL;
    return a;
}

void arena_free(Arena *a)
{
    if (!a)
        return;
    Block *b = a->head;
    while (b) {
        Block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *arena_alloc(Arena *a, size_t size)
{
    if (size == 0)
        size = 1;
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    Block *b = a->head;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
        if (cap > ((size_t)-1) - sizeof(Block)) {
            fprintf(stderr, "gilscope: out of memory (%zu bytes)\n", size);
            abort();
        }
        Block *nb = arena_malloc(sizeof(Block) + cap);
        nb->used = 0;
        nb->cap = cap;
        /* A big one-off allocation goes behind the current block so the
         * space left in that block stays usable. */
        if (b && cap != ARENA_BLOCK) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    char *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void nodelist_push(Arena *a, NodeList *l, Node *n)
{
    if (l->len == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        Node **items = arena_alloc(a, (size_t)cap * sizeof *items);
        if (l->len)
            memcpy(items, l->items, (size_t)l->len * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = n;
}
