export { Contact, ContactIdentifier } from './contact.entity.js';
export { BlacklistEntry, BlacklistMatch } from './blacklist.entity.js';
export { IdentifierKind, normaliseIdentifier } from './identifiers.js';
export { blacklistMatch } from './blacklist.service.js';
export { contactByIdentifier } from './contacts.service.js';
export { ContactResolver } from './contact.resolver.js';
export { BlacklistResolver } from './blacklist.resolver.js';
export { ContactNote } from './contact-note.entity.js';
export { ContactNoteResolver, ContactNotesResolver } from './contact-note.resolver.js';
