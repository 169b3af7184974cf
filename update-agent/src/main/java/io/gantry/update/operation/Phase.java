package io.gantry.update.operation;

/** The phases an action goes through; each runs at most once per action, whichever baseline asks for it. */
enum Phase {
    DOWNLOAD, UPDATE, ACTIVATE
}
