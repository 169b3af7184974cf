package io.gantry.update.operation;

/** An engine change an action has made; journaled for diagnostics and to decide what a rollback must undo. */
enum Effect {
    CREATED, OLD_STOPPED, OLD_ASIDE, NEW_NAMED, STARTED, RESUMED, SETTINGS_UPDATED, OLD_REMOVED
}
