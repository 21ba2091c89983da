/** The GraphQL operations of the agent's desk (fields chosen for the softphone, nothing more). */
const INTERACTION = 'id channel direction state customerAddress screenPopUrl contact { name } campaign { name dispositions { id code label } }';
const MESSAGE = 'id sender body createdAt';
const AUTH = 'accessToken refreshToken accessTokenExpiresAt user { id name }';
export const Q = {
  signIn: `mutation($i: SignInInput!) { signIn(input: $i) { ${AUTH} } }`,
  refresh: `mutation($r: String!) { refreshSession(refreshToken: $r) { ${AUTH} } }`,
  signOut: 'mutation { signOut }',
  viewer: '{ viewer { user { id name } } myAgentState { status pauseReason } }',
  state: 'mutation($s: AgentStatus!, $r: String) { setMyAgentState(status: $s, pauseReason: $r) { status pauseReason } }',
  myState: '{ myAgentState { status pauseReason } }',
  mine: `{ interactions(filter: { state: ACTIVE }, first: 20) { edges { node { ${INTERACTION} } } } }`,
  offered: `{ interactions(filter: { state: OFFERED }, first: 20) { edges { node { ${INTERACTION} } } } }`,
  wrapping: `{ interactions(filter: { state: WRAP_UP }, first: 20) { edges { node { ${INTERACTION} } } } }`,
  messages: `query($id: ID!) { interaction(id: $id) { messages(first: 100) { edges { node { ${MESSAGE} } } } } }`,
  events: `subscription($a: ID) { interactionEvents(afterMessageId: $a) { kind interaction { ${INTERACTION} } message { ${MESSAGE} } } }`,
  accept: `mutation($id: ID!) { acceptInteraction(id: $id) { ${INTERACTION} } }`,
  decline: 'mutation($id: ID!) { declineInteraction(id: $id) { id } }',
  send: `mutation($id: ID!, $b: String!) { sendMessage(interactionId: $id, body: $b) { ${MESSAGE} } }`,
  typing: 'mutation($id: ID!, $on: Boolean!) { setTyping(interactionId: $id, typing: $on) }',
  close: 'mutation($id: ID!, $d: ID, $n: String) { closeInteraction(id: $id, dispositionId: $d, notes: $n) { id } }',
};
