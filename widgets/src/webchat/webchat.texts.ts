import type { Catalogue } from '../core/i18n.js';

type Key =
  | 'open' | 'close' | 'unread' | 'title' | 'intro' | 'awayTitle' | 'awayIntro' | 'closedTitle' | 'name' | 'email' | 'emailRequired'
  | 'message' | 'start' | 'leaveMessage' | 'send' | 'compose' | 'you' | 'agent' | 'waiting' | 'typing' | 'left' | 'ended'
  | 'newChat' | 'endChat' | 'reconnecting' | 'unavailable' | 'failed' | 'conversation';

export const texts: Catalogue<Key> = {
  en: {
    open: 'Open chat', close: 'Close chat', unread: '{n} unread', title: 'Chat with us', intro: 'Ask us anything, we usually answer in a few minutes.',
    awayTitle: 'We are closed', awayIntro: 'Leave us a message and we will answer when we open.', closedTitle: 'We are closed',
    name: 'Your name', email: 'E-mail', emailRequired: 'E-mail (so we can answer)', message: 'Message', start: 'Start chat', leaveMessage: 'Leave message',
    send: 'Send', compose: 'Write a message', you: 'You', agent: 'Agent', waiting: 'Waiting for an agent…', typing: '{name} is typing…',
    left: 'Thank you, your message is saved. We will answer when we open.', ended: 'This chat has ended.', newChat: 'New chat', endChat: 'End chat',
    reconnecting: 'Reconnecting…', unavailable: 'Chat is not available on this website.', failed: 'That did not work, please try again.', conversation: 'Conversation',
  },
  es: {
    open: 'Abrir chat', close: 'Cerrar chat', unread: '{n} sin leer', title: 'Chatea con nosotros', intro: 'Pregúntanos lo que quieras, solemos responder en unos minutos.',
    awayTitle: 'Estamos cerrados', awayIntro: 'Déjanos un mensaje y te responderemos cuando abramos.', closedTitle: 'Estamos cerrados',
    name: 'Tu nombre', email: 'Correo electrónico', emailRequired: 'Correo electrónico (para responderte)', message: 'Mensaje', start: 'Iniciar chat', leaveMessage: 'Dejar mensaje',
    send: 'Enviar', compose: 'Escribe un mensaje', you: 'Tú', agent: 'Agente', waiting: 'Esperando a un agente…', typing: '{name} está escribiendo…',
    left: 'Gracias, tu mensaje está guardado. Te responderemos cuando abramos.', ended: 'Este chat ha terminado.', newChat: 'Nuevo chat', endChat: 'Terminar chat',
    reconnecting: 'Reconectando…', unavailable: 'El chat no está disponible en este sitio web.', failed: 'No ha funcionado, inténtalo de nuevo.', conversation: 'Conversación',
  },
  fr: {
    open: 'Ouvrir le clavardage', close: 'Fermer le clavardage', unread: '{n} non lus', title: 'Écrivez-nous', intro: 'Posez-nous vos questions, nous répondons en général en quelques minutes.',
    awayTitle: 'Nous sommes fermés', awayIntro: 'Laissez-nous un message, nous vous répondrons à l’ouverture.', closedTitle: 'Nous sommes fermés',
    name: 'Votre nom', email: 'Courriel', emailRequired: 'Courriel (pour vous répondre)', message: 'Message', start: 'Commencer', leaveMessage: 'Laisser un message',
    send: 'Envoyer', compose: 'Écrivez un message', you: 'Vous', agent: 'Agent', waiting: 'En attente d’un agent…', typing: '{name} écrit…',
    left: 'Merci, votre message est enregistré. Nous vous répondrons à l’ouverture.', ended: 'Cette conversation est terminée.', newChat: 'Nouvelle conversation', endChat: 'Terminer',
    reconnecting: 'Reconnexion…', unavailable: 'Le clavardage n’est pas disponible sur ce site.', failed: 'Cela n’a pas fonctionné, réessayez.', conversation: 'Conversation',
  },
};
