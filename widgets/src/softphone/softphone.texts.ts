import type { Catalogue } from '../core/i18n.js';

type Key =
  | 'softphone' | 'signIn' | 'email' | 'password' | 'tenant' | 'signOut' | 'state' | 'AVAILABLE' | 'PAUSED' | 'OFFLINE' | 'BUSY' | 'WRAP_UP'
  | 'pauseReason' | 'apply' | 'offer' | 'offerCall' | 'accept' | 'decline' | 'answer' | 'customer' | 'send' | 'compose' | 'end' | 'disposition'
  | 'chooseDisposition' | 'notes' | 'close' | 'cancel' | 'you' | 'noWork' | 'reconnecting' | 'error' | 'dialPad' | 'number' | 'call' | 'hangUp'
  | 'mute' | 'unmute' | 'hold' | 'resume' | 'transfer' | 'transferTo' | 'callWith' | 'ringing' | 'voiceOff' | 'conversationWith' | 'wrapUp' | 'callFailed'
  | 'transferQueue' | 'transferFailed' | 'anonymous' | 'phoneProblem' | 'phoneOrigin' | 'phoneCredentials' | 'phoneUnreachable';

export const texts: Catalogue<Key> = {
  en: {
    softphone: 'Softphone', signIn: 'Sign in', email: 'E-mail', password: 'Password', tenant: 'Organisation (optional)', signOut: 'Sign out',
    state: 'My state', AVAILABLE: 'Available', PAUSED: 'Paused', OFFLINE: 'Offline', BUSY: 'Busy', WRAP_UP: 'Wrap-up', pauseReason: 'Pause reason',
    apply: 'Apply', offer: 'New {channel} from {from}', offerCall: 'Incoming call from {from}', accept: 'Accept', decline: 'Decline', answer: 'Answer',
    customer: 'Customer', send: 'Send', compose: 'Reply to the customer', end: 'End', disposition: 'Outcome', chooseDisposition: 'Choose an outcome',
    notes: 'Notes', close: 'Close interaction', cancel: 'Back', you: 'You', noWork: 'Nothing to handle right now.', reconnecting: 'Reconnecting…',
    error: 'That did not work ({code}).', dialPad: 'Dial pad', number: 'Number', call: 'Call', hangUp: 'Hang up', mute: 'Mute', unmute: 'Unmute',
    hold: 'Hold', resume: 'Resume', transfer: 'Transfer', transferTo: 'Transfer to', transferQueue: 'Queue: {name}', transferFailed: 'The transfer did not happen ({cause}); the call goes on.', callWith: 'Call with {remote}', ringing: 'Ringing…',
    voiceOff: 'Phone not registered', callFailed: 'The call to {remote} did not connect ({cause}).', conversationWith: 'Conversation with {name}', wrapUp: 'The conversation has ended: record its outcome.', anonymous: 'Anonymous',
    phoneProblem: 'Phone not registered: {reason}', phoneOrigin: 'this page’s address is not allowed for phones (SIP_WS_ORIGINS)', phoneCredentials: 'the phone server refused the SIP credentials',
    phoneUnreachable: 'cannot connect to the phone server; trying again',
  },
  es: {
    softphone: 'Softphone', signIn: 'Iniciar sesión', email: 'Correo electrónico', password: 'Contraseña', tenant: 'Organización (opcional)',
    signOut: 'Cerrar sesión', state: 'Mi estado', AVAILABLE: 'Disponible', PAUSED: 'En pausa', OFFLINE: 'Desconectado', BUSY: 'Ocupado',
    WRAP_UP: 'Cierre', pauseReason: 'Motivo de la pausa', apply: 'Aplicar', offer: 'Nuevo {channel} de {from}', offerCall: 'Llamada entrante de {from}',
    accept: 'Aceptar', decline: 'Rechazar', answer: 'Contestar', customer: 'Cliente', send: 'Enviar', compose: 'Responder al cliente', end: 'Terminar',
    disposition: 'Resultado', chooseDisposition: 'Elige un resultado', notes: 'Notas', close: 'Cerrar interacción', cancel: 'Volver', you: 'Tú',
    noWork: 'Nada que atender por ahora.', reconnecting: 'Reconectando…', error: 'No ha funcionado ({code}).', dialPad: 'Teclado', number: 'Número',
    call: 'Llamar', hangUp: 'Colgar', mute: 'Silenciar', unmute: 'Activar micrófono', hold: 'En espera', resume: 'Reanudar', transfer: 'Transferir',
    transferTo: 'Transferir a', transferQueue: 'Cola: {name}', transferFailed: 'La transferencia no se ha hecho ({cause}); la llamada sigue.', callWith: 'Llamada con {remote}', ringing: 'Sonando…', voiceOff: 'Teléfono no registrado', callFailed: 'La llamada a {remote} no se ha establecido ({cause}).',
    conversationWith: 'Conversación con {name}', wrapUp: 'La conversación ha terminado: registra su resultado.', anonymous: 'Número oculto',
    phoneProblem: 'Teléfono no registrado: {reason}', phoneOrigin: 'la dirección de esta página no está permitida para teléfonos (SIP_WS_ORIGINS)', phoneCredentials: 'el servidor telefónico ha rechazado las credenciales SIP',
    phoneUnreachable: 'no se puede conectar con el servidor telefónico; reintentando',
  },
  fr: {
    softphone: 'Softphone', signIn: 'Se connecter', email: 'Courriel', password: 'Mot de passe', tenant: 'Organisation (facultatif)', signOut: 'Se déconnecter',
    state: 'Mon état', AVAILABLE: 'Disponible', PAUSED: 'En pause', OFFLINE: 'Hors ligne', BUSY: 'Occupé', WRAP_UP: 'Post-traitement',
    pauseReason: 'Motif de la pause', apply: 'Appliquer', offer: 'Nouveau {channel} de {from}', offerCall: 'Appel entrant de {from}', accept: 'Accepter',
    decline: 'Refuser', answer: 'Répondre', customer: 'Client', send: 'Envoyer', compose: 'Répondre au client', end: 'Terminer', disposition: 'Résultat',
    chooseDisposition: 'Choisissez un résultat', notes: 'Notes', close: 'Clore l’interaction', cancel: 'Retour', you: 'Vous',
    noWork: 'Rien à traiter pour l’instant.', reconnecting: 'Reconnexion…', error: 'Cela n’a pas fonctionné ({code}).', dialPad: 'Clavier',
    number: 'Numéro', call: 'Appeler', hangUp: 'Raccrocher', mute: 'Couper le micro', unmute: 'Rétablir le micro', hold: 'Attente', resume: 'Reprendre',
    transfer: 'Transférer', transferTo: 'Transférer à', transferQueue: 'File : {name}', transferFailed: 'Le transfert n’a pas eu lieu ({cause}) ; l’appel continue.', callWith: 'Appel avec {remote}', ringing: 'Sonnerie…', voiceOff: 'Téléphone non enregistré', callFailed: 'L’appel vers {remote} n’a pas abouti ({cause}).',
    conversationWith: 'Conversation avec {name}', wrapUp: 'La conversation est terminée : indiquez son résultat.', anonymous: 'Numéro masqué',
    phoneProblem: 'Téléphone non enregistré : {reason}', phoneOrigin: 'l’adresse de cette page n’est pas autorisée pour les téléphones (SIP_WS_ORIGINS)', phoneCredentials: 'le serveur téléphonique a refusé les identifiants SIP',
    phoneUnreachable: 'connexion impossible au serveur téléphonique ; nouvelle tentative',
  },
};

export type SoftphoneText = Key;
