import type { Catalogue } from '../core/i18n.js';

type Key =
  | 'board' | 'waiting' | 'longestWait' | 'serviceLevel' | 'answered' | 'abandoned' | 'agents' | 'available' | 'busy' | 'paused' | 'wrapUp'
  | 'offline' | 'live' | 'stale' | 'updated' | 'connecting' | 'noQueues' | 'refused';

export const texts: Catalogue<Key> = {
  en: {
    board: 'Queue wallboard', waiting: 'Waiting', longestWait: 'Longest wait', serviceLevel: 'Service level', answered: 'Answered today',
    abandoned: 'Abandoned today', agents: 'Agents', available: 'Available', busy: 'Busy', paused: 'Paused', wrapUp: 'Wrap-up', offline: 'Offline',
    live: 'Live', stale: 'Offline: figures may be out of date', updated: 'Updated {time}', connecting: 'Connecting…', noQueues: 'No queues to show.',
    refused: 'Not allowed: {code}',
  },
  es: {
    board: 'Panel de colas', waiting: 'En espera', longestWait: 'Espera más larga', serviceLevel: 'Nivel de servicio', answered: 'Atendidas hoy',
    abandoned: 'Abandonadas hoy', agents: 'Agentes', available: 'Disponibles', busy: 'Ocupados', paused: 'En pausa', wrapUp: 'Cierre', offline: 'Desconectados',
    live: 'En directo', stale: 'Sin conexión: las cifras pueden estar desactualizadas', updated: 'Actualizado {time}', connecting: 'Conectando…',
    noQueues: 'No hay colas que mostrar.', refused: 'No permitido: {code}',
  },
  fr: {
    board: 'Tableau des files', waiting: 'En attente', longestWait: 'Attente la plus longue', serviceLevel: 'Niveau de service', answered: 'Répondues aujourd’hui',
    abandoned: 'Abandonnées aujourd’hui', agents: 'Agents', available: 'Disponibles', busy: 'Occupés', paused: 'En pause', wrapUp: 'Post-appel',
    offline: 'Hors ligne', live: 'En direct', stale: 'Hors ligne : les chiffres peuvent être périmés', updated: 'Mis à jour {time}', connecting: 'Connexion…',
    noQueues: 'Aucune file à afficher.', refused: 'Refusé : {code}',
  },
};
