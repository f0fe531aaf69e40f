package org.acme.mcp.guard;

import java.util.Locale;

/**
 * What a word means to the phrase rules, whatever its language: the lexicon files ({@code guard/phrases/<lang>.txt})
 * list the words of each concept per language, and {@link PhraseRule}s are written once, over concepts. One bit each in
 * a {@code long}.
 */
enum Concept {
    /** ignore, disregard, forget, bypass; ignoriere, vergiss; ignorez, oublie; olvida; dimentica; negeer; esqueça. */
    OVERRIDE,
    /** instructions, rules, guidelines, prompt; Anweisungen, Regeln; consignes; instrucciones; istruzioni; regels. */
    INSTRUCTIONS,
    /** previous, prior, above, original, initial; vorherigen, bisherigen; précédentes; anteriores; precedenti. */
    PRIOR,
    /** above, below this line; oben; ci-dessus; arriba; sopra; hierboven; acima (also {@link #PRIOR}). */
    ABOVE,
    /** your (informal and formal). */
    YOUR,
    /** all, every, any. */
    ALL,
    /** everything, anything, whatever. */
    EVERYTHING,
    /** told, said, given (what you were told). */
    TOLD,
    /** follow, obey, comply. */
    FOLLOW,
    /** stop, cease, no longer. */
    STOP,
    /** void, cancelled, revoked, obsolete, invalid, suspended. */
    VOID,
    /** new, updated, real, actual. */
    NEW,
    /** you (as subject). */
    YOU,
    /** now, from now on, henceforth. */
    NOW,
    /** AI, assistant, model, bot, chatbot, persona, character, DAN. */
    ROLE,
    /** unrestricted, unfiltered, uncensored, jailbroken, unlimited, evil. */
    UNRESTRICTED,
    /** without, no, free of. */
    WITHOUT,
    /** restrictions, limits, filters, censorship, rules, guidelines, ethics, boundaries. */
    LIMITS,
    /** act as, pretend, roleplay, imagine, simulate, behave as. */
    ACT_AS,
    /** developer mode, god mode, debug mode, admin mode (one word or {@link #MODE} beside a qualifier). */
    DEV_MODE,
    /** mode. */
    MODE,
    /** enabled, activated, switched on. */
    ENABLED,
    /** reveal, print, show, repeat, output, tell me, give me, disclose, leak. */
    REVEAL,
    /** system. */
    SYSTEM,
    /** prompt, instructions, configuration: what a system prompt is called. */
    PROMPT,
    /** message: a system message is a system prompt only with more words around it ("your system message"). */
    MESSAGE,
    /** systemprompt, Systemanweisungen, systeemprompt: compounds that are a system prompt in one word. */
    SYSTEM_PROMPT,
    /** hidden, secret, initial, original, internal, confidential. */
    HIDDEN,
    /** text, words, content, lines. */
    TEXT,
    /** send, forward, post, upload, email, transmit, include, append, attach, paste. */
    SEND,
    /** password, credentials, API key, token, secret, private key, cookie, session. */
    SECRET,
    /** conversation, chat history, messages, emails, contacts, personal data. */
    CONVERSATION,
    /** url, address, webhook, server, endpoint, link, http, www (a place outside). */
    DESTINATION,
    /** me, us (a recipient). */
    ME,
    /** not, never, no, don't. */
    NEGATION,
    /** tell, inform, mention, notify, alert, ask. */
    TELL,
    /** the user, human, operator, owner. */
    USER,
    /** hide, conceal, keep secret. */
    HIDE,
    /** before, first, prior to. */
    BEFORE,
    /** use, call, invoke, run, execute. */
    USE,
    /** tool, function, plugin, command, script. */
    TOOL,
    /** delete, remove, erase, wipe, drop, destroy, overwrite. */
    DELETE,
    /** files, data, records, database, repository, backups, accounts, folders. */
    FILES,
    /** silently, quietly, secretly, in the background, without telling. */
    SILENTLY,
    /** confirmation, approval, permission, consent. */
    CONFIRMATION,
    /** read, open, cat, load, access. */
    READ,
    /** ssh, id_rsa, passwd, .env, credentials files: places where secrets live. */
    SECRET_FILE,
    /** transfer, pay, wire (money). */
    TRANSFER,
    /** otherwise, or else ("otherwise the tool will not work"). */
    OTHERWISE,
    /** Words that carry no concept but let a run of joined words ({@code ignoreallthepreviousrules}) be split. */
    FILLER,
    /** Set by the scanner on a word followed by a colon ({@code new instructions:}). */
    COLON;

    final long bit = 1L << ordinal();

    /** The name used in the lexicon files: {@code SECRET_FILE} is {@code secret-file}. */
    String fileName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static long mask(Concept... concepts) {
        long mask = 0;
        for (Concept c : concepts) {
            mask |= c.bit;
        }
        return mask;
    }
}
