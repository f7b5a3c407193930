"""The shared mailbox: citizens' emails fetched over IMAP, triaged, answered in draft."""
